// The core journey and offline in Firefox ESR (Debian's firefox-esr, driven over WebDriver BiDi).
import { coreJourney } from '../journey/core.mjs';
import { offlineJourney } from '../journey/offline.mjs';

coreJourney('firefox');
offlineJourney('firefox');
