<?php
/**
 * Deleting the plugin (Plugins → Delete) removes its settings.
 *
 * @package PhotoFinish
 */

if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

delete_option( 'photo_finish_settings' );
delete_site_option( 'photo_finish_settings' );
