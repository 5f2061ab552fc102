<?php
/**
 * The plugin's one option (`photo_finish_settings`) and the kit's files on the photo-finish server.
 *
 * @package PhotoFinish
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

const PHOTO_FINISH_OPTION = 'photo_finish_settings';

/** The themes the kit ships (`/kit/themes/NAME.css`). */
const PHOTO_FINISH_THEMES = array( 'auto', 'light', 'dark', 'high-contrast' );

/**
 * The saved settings, with defaults.
 *
 * @return array{server_url: string, org_id: int, publishable_key: string, theme: string}
 */
function photo_finish_settings() {
	$saved = get_option( PHOTO_FINISH_OPTION, array() );
	$saved = is_array( $saved ) ? $saved : array();
	return array(
		'server_url'      => isset( $saved['server_url'] ) ? (string) $saved['server_url'] : '',
		'org_id'          => isset( $saved['org_id'] ) ? absint( $saved['org_id'] ) : 0,
		'publishable_key' => isset( $saved['publishable_key'] ) ? (string) $saved['publishable_key'] : '',
		'theme'           => isset( $saved['theme'] ) && in_array( $saved['theme'], PHOTO_FINISH_THEMES, true ) ? $saved['theme'] : 'auto',
	);
}

/**
 * Whether the settings name a server, an organisation and a key.
 *
 * @param array $settings From photo_finish_settings().
 */
function photo_finish_configured( $settings ) {
	return '' !== $settings['server_url'] && $settings['org_id'] > 0 && '' !== $settings['publishable_key'];
}

/**
 * Cleans the settings form: an http(s) URL without a trailing slash, a positive organisation id, a publishable key
 * (never a secret key: it would be visible in every page).
 *
 * @param mixed $input The submitted values.
 * @return array
 */
function photo_finish_sanitize_settings( $input ) {
	$input = is_array( $input ) ? $input : array();
	$old   = photo_finish_settings();
	$out   = $old;

	$url = isset( $input['server_url'] ) ? trim( (string) $input['server_url'] ) : '';
	$url = untrailingslashit( esc_url_raw( $url, array( 'http', 'https' ) ) );
	if ( '' === $url && '' !== trim( (string) ( $input['server_url'] ?? '' ) ) ) {
		add_settings_error( PHOTO_FINISH_OPTION, 'server_url', __( 'The server URL must start with https:// (or http://).', 'photo-finish' ) );
	} else {
		$out['server_url'] = $url;
	}

	$out['org_id'] = isset( $input['org_id'] ) ? absint( $input['org_id'] ) : 0;

	$key = isset( $input['publishable_key'] ) ? trim( sanitize_text_field( (string) $input['publishable_key'] ) ) : '';
	if ( '' !== $key && ! preg_match( '/^pk_[A-Za-z0-9_-]+$/', $key ) ) {
		add_settings_error(
			PHOTO_FINISH_OPTION,
			'publishable_key',
			0 === strpos( $key, 'sk_' )
				? __( 'That is a secret key: never put it in a web page. Create a publishable key (pk_…) for the site.', 'photo-finish' )
				: __( 'A publishable key starts with pk_.', 'photo-finish' )
		);
	} else {
		$out['publishable_key'] = $key;
	}

	$theme        = isset( $input['theme'] ) ? (string) $input['theme'] : 'auto';
	$out['theme'] = in_array( $theme, PHOTO_FINISH_THEMES, true ) ? $theme : 'auto';
	return $out;
}

/**
 * Registers the kit's script and theme (loaded from the photo-finish server) under our handles. They are only
 * enqueued by a shortcode or block that renders, so pages without an embed load nothing; WordPress prints each
 * handle once however many embeds a page has.
 */
function photo_finish_register_assets() {
	$s = photo_finish_settings();
	if ( '' === $s['server_url'] ) {
		return;
	}
	// No ?ver: the server sends its own cache headers, and the URL stays the documented one.
	wp_register_script( 'photo-finish-kit', $s['server_url'] . '/kit/photo-finish.js', array(), null, true ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
	wp_register_style( 'photo-finish-theme', $s['server_url'] . '/kit/themes/' . $s['theme'] . '.css', array(), null ); // phpcs:ignore WordPress.WP.EnqueuedResourceParameters.MissingVersion
}

/**
 * The kit in the block editor, for the block's live preview.
 */
function photo_finish_enqueue_editor_kit() {
	if ( wp_script_is( 'photo-finish-kit', 'registered' ) ) {
		wp_enqueue_script( 'photo-finish-kit' );
		wp_enqueue_style( 'photo-finish-theme' );
	}
}

/**
 * A "Settings" link on the Plugins screen.
 *
 * @param string[] $links The plugin's action links.
 * @return string[]
 */
function photo_finish_action_links( $links ) {
	$url = admin_url( 'options-general.php?page=photo-finish' );
	array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'photo-finish' ) . '</a>' );
	return $links;
}
