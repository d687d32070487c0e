// The core journey and offline in WebKitGTK, Safari's engine (Debian's WebKitWebDriver, run under Xvfb).
import { coreJourney } from '../journey/core.mjs';
import { offlineJourney } from '../journey/offline.mjs';

coreJourney('webkit');
offlineJourney('webkit');
