/** The kit's version, shown when two copies meet on one page. Keep in step with package.json. */
export const KIT_VERSION = '0.1.0';
