// The core journey in WebKitGTK, Safari's engine (Debian's WebKitWebDriver, run under Xvfb).
import { coreJourney } from '../journey/core.mjs';

coreJourney('webkit');
