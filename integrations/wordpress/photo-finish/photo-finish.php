<?php
/**
 * Plugin Name:       Photo Finish
 * Plugin URI:        https://github.com/photo-finish/photo-finish
 * Description:       Event photo galleries from a photo-finish server: BIB search, the event's photos and finisher certificates, by shortcode or block.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            photo-finish
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       photo-finish
 * Domain Path:       /languages
 *
 * @package PhotoFinish
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

define( 'PHOTO_FINISH_VERSION', '0.1.0' );
define( 'PHOTO_FINISH_FILE', __FILE__ );
define( 'PHOTO_FINISH_DIR', plugin_dir_path( __FILE__ ) );

require_once PHOTO_FINISH_DIR . 'includes/settings.php';
require_once PHOTO_FINISH_DIR . 'includes/render.php';
require_once PHOTO_FINISH_DIR . 'includes/settings-page.php';
require_once PHOTO_FINISH_DIR . 'includes/embed.php';

add_action( 'init', 'photo_finish_load_textdomain' );
add_action( 'init', 'photo_finish_register_assets' );
add_action( 'init', 'photo_finish_register_embeds' );
add_action( 'admin_init', 'photo_finish_register_setting' );
add_action( 'admin_menu', 'photo_finish_add_settings_page' );
add_action( 'enqueue_block_editor_assets', 'photo_finish_enqueue_editor_kit' );
add_filter( 'plugin_action_links_' . plugin_basename( __FILE__ ), 'photo_finish_action_links' );

/**
 * Loads the plugin's translations (languages/photo-finish-LOCALE.mo, or from wp-content/languages/plugins/).
 */
function photo_finish_load_textdomain() {
	load_plugin_textdomain( 'photo-finish', false, dirname( plugin_basename( PHOTO_FINISH_FILE ) ) . '/languages' );
}
