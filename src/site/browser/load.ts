/// <reference lib="dom" />
/**
 * Loads the site's data. Each data file is a script calling OGI_PUT(key, data): a page opened
 * from file:// may load scripts but may not fetch() files, so scripts work from a disk and from
 * any static host alike. A file is loaded once, when a page first asks for it.
 */

declare global {
  interface Window {
    OGI_PUT: (key: string, data: unknown) => void;
  }
}

const loaded = new Map<string, unknown>();
const waiting = new Map<string, Promise<unknown>>();
const resolvers = new Map<string, (data: unknown) => void>();

window.OGI_PUT = (key, data) => {
  loaded.set(key, data);
  resolvers.get(key)?.(data);
};

/** a script of the site (data/<key>.js or vendor/…), loaded once */
export function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = () => resolve();
    s.onerror = () => reject(new Error(`${src} could not be loaded`));
    document.head.append(s);
  });
}

export function load<T>(key: string): Promise<T> {
  if (loaded.has(key)) return Promise.resolve(loaded.get(key) as T);
  let p = waiting.get(key);
  if (!p) {
    p = new Promise<unknown>((resolve, reject) => {
      resolvers.set(key, resolve);
      loadScript(`data/${key}.js`).then(
        () => {
          if (!loaded.has(key)) reject(new Error(`data/${key}.js did not hold "${key}"`));
        },
        reject,
      );
    });
    waiting.set(key, p);
  }
  return p as Promise<T>;
}
