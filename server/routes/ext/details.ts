import { EventDetails } from '../../../core/index.ts';
import { baseUrl } from '../../http/base-url.ts';
import { envelope } from '../../http/envelope.ts';
import { answerReady, keepReady, versionsOf } from '../../http/ready-answers.ts';
import { EventPath } from '../../http/params.ts';
import { createRouter, defineRoute } from '../../http/route.ts';
import { eventDetails } from '../../services/gallery.ts';

export const detailsRoute = defineRoute({
  method: 'get',
  path: '/details',
  tag: 'Events',
  summary: 'Event Details',
  description:
    'The event, its switchable features, time zone, photo count and page settings. Answers for a draft event and for ' +
    'a password-protected one (password_required: true) so an embed can say why the photos are not shown; private events are 404.',
  auth: 'key',
  request: { params: EventPath },
  data: EventDetails,
  errors: [404],
});

export const details = createRouter().openapi(detailsRoute, async (c) => {
  // The count and certificates state come with the request's versions (one statement); the answer is kept ready for
  // the same request at the same versions (http/ready-answers.ts).
  const versions = await versionsOf(c);
  const data = await eventDetails(c.get('deps'), c.get('event'), baseUrl(c), versions);
  const answer = { body: JSON.stringify(envelope('Event details', data)), etag: null };
  keepReady(c, answer);
  return answerReady(c, answer) as never;
});
