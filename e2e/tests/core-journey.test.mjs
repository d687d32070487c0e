// The core journey in Chromium (the same steps run in Firefox and WebKit from e2e/engines/).
import { coreJourney } from '../journey/core.mjs';

coreJourney('chromium');
