/**
 * The Call to Action under a gallery, which pf-gallery imports when the event places one there (after its first
 * paint). A module of its own so that its chunk only re-exports shared/cta.ts (whose chunk the lightbox and the
 * search elements share) and a dynamic import of it needs no namespace helper.
 */
export { ctaStyles, renderCta } from '../shared/cta.ts';
