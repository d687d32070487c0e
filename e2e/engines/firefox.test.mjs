// The core journey in Firefox ESR (Debian's firefox-esr, driven over WebDriver BiDi).
import { coreJourney } from '../journey/core.mjs';

coreJourney('firefox');
