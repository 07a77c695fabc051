// What the generators hand to `provision generate/diff/apply`: whole files with their install
// paths. Content is byte-stable for a given site and source (no timestamps, stable order).

export type { SiteSource } from '../site/site-types';

export interface GeneratedFile {
  /** Absolute install path, e.g. /etc/dahdi/system.conf. */
  target: string;
  content: string;
}

export type ChanDahdiMode = 'full' | 'include';

export interface GenerateOptions {
  /** full: write /etc/asterisk/chan_dahdi.conf; include: dahdi-channels-tdmgate.conf for #include. */
  chanDahdiMode?: ChanDahdiMode;
}
