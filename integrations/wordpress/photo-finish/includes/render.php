<?php
/**
 * The embed's HTML, shared by the shortcode and the block: a `<pf-event>` naming the server, organisation, event
 * and publishable key, with the chosen widgets inside. Every attribute is escaped; unknown element names are
 * dropped.
 *
 * @package PhotoFinish
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * The names the shortcode and the block accept, and the kit's element each one renders. `finder` needs a kit with
 * `<pf-finder>` (the participant's one-stop search); the others exist in every kit.
 *
 * @return array<string, string>
 */
function photo_finish_elements() {
	return array(
		'finder'      => 'pf-finder',
		'bib-search'  => 'pf-bib-search',
		'gallery'     => 'pf-gallery',
		'timeline'    => 'pf-timeline',
		'selfie'      => 'pf-selfie-search',
		'certificate' => 'pf-certificate',
		'checkout'    => 'pf-checkout-button',
	);
}

/** What an embed shows when it names no elements. */
const PHOTO_FINISH_DEFAULT_ELEMENTS = array( 'bib-search', 'gallery' );

/**
 * Turns "finder, gallery,certificate" (or an array) into known element names, in order, without repeats.
 *
 * @param string|string[] $elements As written in the shortcode or saved by the block.
 * @return string[]
 */
function photo_finish_parse_elements( $elements ) {
	$names = is_array( $elements ) ? $elements : explode( ',', (string) $elements );
	$known = photo_finish_elements();
	$out   = array();
	foreach ( $names as $name ) {
		$name = strtolower( trim( (string) $name ) );
		if ( 'bib' === $name ) {
			$name = 'bib-search';
		}
		if ( isset( $known[ $name ] ) && ! in_array( $name, $out, true ) ) {
			$out[] = $name;
		}
	}
	return $out ? $out : PHOTO_FINISH_DEFAULT_ELEMENTS;
}

/**
 * The embed for one event, and the kit's script and theme enqueued (once per page, only where an embed renders).
 *
 * @param int             $event    The event id.
 * @param string|string[] $elements The widgets to show.
 * @return string HTML.
 */
function photo_finish_render( $event, $elements ) {
	$s     = photo_finish_settings();
	$event = absint( $event );
	if ( ! photo_finish_configured( $s ) || $event <= 0 ) {
		if ( ! current_user_can( 'edit_posts' ) ) {
			return '';
		}
		$why = photo_finish_configured( $s )
			? __( 'Photo Finish: set the event number (event="7").', 'photo-finish' )
			: __( 'Photo Finish: set the server, organisation and publishable key under Settings → Photo Finish.', 'photo-finish' );
		return '<p class="photo-finish-notice">' . esc_html( $why ) . '</p>';
	}

	wp_enqueue_script( 'photo-finish-kit' );
	wp_enqueue_style( 'photo-finish-theme' );

	$tags  = photo_finish_elements();
	$inner = '';
	foreach ( photo_finish_parse_elements( $elements ) as $name ) {
		$tag    = $tags[ $name ];
		$inner .= '<' . $tag . '></' . $tag . '>';
	}
	return sprintf(
		'<div class="photo-finish-embed"><pf-event api="%1$s" org="%2$s" event="%3$s" key="%4$s">%5$s</pf-event></div>',
		esc_attr( $s['server_url'] ),
		esc_attr( (string) $s['org_id'] ),
		esc_attr( (string) $event ),
		esc_attr( $s['publishable_key'] ),
		$inner
	);
}
