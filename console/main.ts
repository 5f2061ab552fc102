/** The console's entry: the language first (so the first render is in it), then the app shell. */
import { initialLanguage, setLanguage } from './i18n/index.ts';
import './pfc-app.ts';

setLanguage(initialLanguage());
