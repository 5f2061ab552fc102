import type { BibStore, BibTagRow } from '../types.ts';
import { json, type Db } from './db.ts';

type Raw = Omit<BibTagRow, 'box'> & { box: string | null };
const toRow = (r: Raw): BibTagRow => ({ ...r, box: json<[number, number, number, number]>(r.box) });
const COLS = 'id, image_id, bib, bib_norm, source, status, confidence, box';

export function sqliteBibs(db: Db): BibStore {
  const list = db.prepare(`SELECT ${COLS} FROM bib_tags WHERE image_id = ? ORDER BY id`);
  const upsert = db.prepare(
    `INSERT INTO bib_tags (image_id, event_id, bib, bib_norm, source, status, confidence, box)
     SELECT @image_id, event_id, @bib, @bib_norm, @source, @status, @confidence, @box FROM images WHERE id = @image_id
     ON CONFLICT (image_id, bib_norm, source) DO UPDATE SET status = excluded.status
     RETURNING ${COLS}`,
  );
  const setStatus = db.prepare('UPDATE bib_tags SET status = ? WHERE image_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM bib_tags WHERE image_id = ? AND id = ?');
  return {
    async listForImage(imageId) {
      return (list.all(imageId) as Raw[]).map(toRow);
    },
    async add(imageId, tag) {
      const r = upsert.get({ image_id: imageId, ...tag, box: tag.box ? JSON.stringify(tag.box) : null }) as Raw;
      return toRow(r);
    },
    async setStatus(imageId, tagId, status) {
      return setStatus.run(status, imageId, tagId).changes > 0;
    },
    async remove(imageId, tagId) {
      return remove.run(imageId, tagId).changes > 0;
    },
  };
}
