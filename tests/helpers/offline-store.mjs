/**
 * Test helper: functions run in a page (`page.evaluate(storedCount)`) that read oxeye's
 * offline store, the IndexedDB database `oxeye-offline`.
 */

/** Runs in the page: the number of envelopes in oxeye's IndexedDB store. */
export function storedCount() {
  return new Promise((ok, fail) => {
    const r = indexedDB.open("oxeye-offline", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("envelopes", { autoIncrement: true });
    r.onsuccess = () => {
      const db = r.result;
      const c = db.transaction("envelopes", "readonly").objectStore("envelopes").count();
      c.onsuccess = () => {
        db.close();
        ok(c.result);
      };
      c.onerror = () => fail(c.error);
    };
    r.onerror = () => fail(r.error);
  });
}
