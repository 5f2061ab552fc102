import { AdminPhoto, DeletedPhoto, UploadReport } from '../../../core/api/admin.ts';
import { ok } from '../../http/envelope.ts';
import { multipart } from '../../http/body.ts';
import { EventPath, ImagePath } from '../../http/params.ts';
import { createRouter, defineRoute, multipartBody } from '../../http/route.ts';
import { deletePhoto, MAX_FILES_PER_UPLOAD, photoWithTags, uploadPhotos } from '../../services/photos.ts';

const TAG = 'Admin: photos';
/** The multipart field of the optional BIB sidecar CSV; every other file part is a photo. */
const SIDECAR_FIELD = 'bibs';

export const uploadPhotosRoute = defineRoute({
  method: 'post',
  path: '/photos',
  tag: TAG,
  summary: 'Upload photos',
  description:
    `Many photos per request (at most ${MAX_FILES_PER_UPLOAD}, and the request at most UPLOAD_LIMIT_MB, else 413). ` +
    'Each file is reported added, duplicate or failed by name; a bad file never stops the others. ' +
    `An optional BIB sidecar CSV (file,bib) in \`${SIDECAR_FIELD}\` tags the photos; its bad rows are reported in bib_problems. ` +
    'The bibs of each photo are also read by OCR when the server has it and the event has bib_search on. ' +
    'Videos (MP4, MOV, WebM) in the same field go to the video ingest (faces sampled at the event video FPS; result with video_id).',
  auth: 'secret',
  bodyLimit: 'upload',
  request: {
    params: EventPath,
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: multipartBody({
            files: {
              description: 'the photos (JPEG, PNG, WebP, TIFF, HEIF) and videos (MP4, MOV, WebM)',
              many: true,
              required: true,
            },
            [SIDECAR_FIELD]: { description: 'optional sidecar CSV with a file,bib header' },
          }),
        },
      },
    },
  },
  data: UploadReport,
  errors: [400, 404, 413, 415, 422],
});

export const getPhotoRoute = defineRoute({
  method: 'get',
  path: '/photos/{image_id}',
  tag: TAG,
  summary: 'One photo with its BIB tags',
  description: 'The stored photo (name, size, capture time) and its BIB tags of every source and status.',
  auth: 'secret',
  request: { params: ImagePath },
  data: AdminPhoto,
  errors: [404, 422],
});

export const deletePhotoRoute = defineRoute({
  method: 'delete',
  path: '/photos/{image_id}',
  tag: TAG,
  summary: 'Delete a photo and its files',
  description:
    'Its rows go in one transaction, then its files (original and renditions). A file that cannot be deleted is logged ' +
    'and reported in the message; the delete still succeeds.',
  auth: 'secret',
  request: { params: ImagePath },
  data: DeletedPhoto,
  errors: [404, 422],
});

/** Photos of an event: upload (many at once), look at one, delete. Their bibs: routes/admin/bibs.ts. */
export const adminPhotos = createRouter()
  .openapi(uploadPhotosRoute, async (c) => {
    const { files } = await multipart(
      c,
      `photos as file parts (field \`files\`), optionally a BIB sidecar CSV in \`${SIDECAR_FIELD}\``,
    );
    const sidecar = files.find((f) => f.field === SIDECAR_FIELD);
    const photos = files
      .filter((f) => f.field !== SIDECAR_FIELD)
      .map(({ file }) => ({
        name: (file.name || 'unnamed').slice(0, 255),
        read: async () => Buffer.from(await file.arrayBuffer()),
      }));
    const data = await uploadPhotos(
      c.get('deps'),
      c.get('event'),
      photos,
      sidecar ? Buffer.from(await sidecar.file.arrayBuffer()) : null,
    );
    const queued = data.queued ? `, ${data.queued} still queued` : '';
    return ok(c, `${data.added} added, ${data.duplicate} duplicate, ${data.failed} failed${queued}`, data);
  })
  .openapi(getPhotoRoute, async (c) => {
    return ok(c, 'Photo', await photoWithTags(c.get('deps'), c.get('event'), c.req.valid('param').image_id));
  })
  .openapi(deletePhotoRoute, async (c) => {
    const { blobsLeft, data } = await deletePhoto(c.get('deps'), c.get('event'), c.req.valid('param').image_id);
    const message = blobsLeft ? `Photo deleted; ${blobsLeft} file(s) could not be removed and were logged` : 'Photo deleted';
    return ok(c, message, data);
  });
