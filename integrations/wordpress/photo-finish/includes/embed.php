<?php
/**
 * The shortcode `[photo-finish event="7" elements="finder,gallery,certificate"]` and the block
 * `photo-finish/embed` (same options; its editor script is plain JavaScript, no build step).
 *
 * @package PhotoFinish
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the shortcode and the block.
 */
function photo_finish_register_embeds() {
	add_shortcode( 'photo-finish', 'photo_finish_shortcode' );

	$s = photo_finish_settings();
	wp_register_script(
		'photo-finish-block-editor',
		plugins_url( 'blocks/embed/index.js', PHOTO_FINISH_FILE ),
		array( 'wp-blocks', 'wp-element', 'wp-block-editor', 'wp-components', 'wp-i18n' ),
		PHOTO_FINISH_VERSION,
		true
	);
	// What the editor needs for the live preview and the event list (the publishable key is public anyway).
	wp_add_inline_script(
		'photo-finish-block-editor',
		'window.photoFinishBlock = ' . wp_json_encode(
			array(
				'server'      => $s['server_url'],
				'org'         => $s['org_id'],
				'key'         => $s['publishable_key'],
				'configured'  => photo_finish_configured( $s ),
				'elements'    => array_keys( photo_finish_elements() ),
				'settingsUrl' => admin_url( 'options-general.php?page=photo-finish' ),
			)
		) . ';',
		'before'
	);
	wp_set_script_translations( 'photo-finish-block-editor', 'photo-finish', PHOTO_FINISH_DIR . 'languages' );

	register_block_type(
		PHOTO_FINISH_DIR . 'blocks/embed',
		array( 'render_callback' => 'photo_finish_render_block' )
	);
}

/**
 * `[photo-finish event="7" elements="finder,gallery,certificate"]`.
 *
 * @param array|string $atts Shortcode attributes.
 * @return string
 */
function photo_finish_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'event'    => '',
			'elements' => implode( ',', PHOTO_FINISH_DEFAULT_ELEMENTS ),
		),
		$atts,
		'photo-finish'
	);
	return photo_finish_render( $atts['event'], $atts['elements'] );
}

/**
 * The block's front end (a dynamic block: the HTML is made here, from its attributes).
 *
 * @param array $attributes The block's attributes.
 * @return string
 */
function photo_finish_render_block( $attributes ) {
	$event    = isset( $attributes['event'] ) ? $attributes['event'] : 0;
	$elements = isset( $attributes['elements'] ) ? $attributes['elements'] : PHOTO_FINISH_DEFAULT_ELEMENTS;
	return photo_finish_render( $event, $elements );
}
