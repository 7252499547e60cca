// The plugin's version, from package.json (bundlers inline the JSON).
import pkg from '../package.json' with { type: 'json' };

export const PLUGIN_VERSION: string = pkg.version;
