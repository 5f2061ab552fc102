<?php
/**
 * Settings → Photo Finish: the server URL, the organisation and the publishable key, with a connection test that
 * asks the server, from the admin's browser, for the events the key sees (the same request the embeds make, so an
 * origin the key does not allow shows up here).
 *
 * @package PhotoFinish
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers the option and its fields.
 */
function photo_finish_register_setting() {
	register_setting(
		'photo_finish',
		PHOTO_FINISH_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'photo_finish_sanitize_settings',
			'default'           => array(),
		)
	);
	add_settings_section( 'photo_finish_server', __( 'Your photo-finish server', 'photo-finish' ), 'photo_finish_section_intro', 'photo-finish' );
	$fields = array(
		'server_url'      => __( 'Server URL', 'photo-finish' ),
		'org_id'          => __( 'Organisation', 'photo-finish' ),
		'publishable_key' => __( 'Publishable key', 'photo-finish' ),
		'theme'           => __( 'Theme', 'photo-finish' ),
	);
	foreach ( $fields as $name => $label ) {
		add_settings_field(
			'photo_finish_' . $name,
			$label,
			'photo_finish_field',
			'photo-finish',
			'photo_finish_server',
			array(
				'name'      => $name,
				'label_for' => 'photo-finish-' . str_replace( '_', '-', $name ),
			)
		);
	}
}

/**
 * The section's introduction.
 */
function photo_finish_section_intro() {
	echo '<p>' . esc_html__( 'The widgets load from your photo-finish server and read the photos of your organisation with a publishable key (read-only, limited to its events and, if you set them, to this site\'s address).', 'photo-finish' ) . '</p>';
}

/**
 * One field of the form.
 *
 * @param array $args name, label_for.
 */
function photo_finish_field( $args ) {
	$s    = photo_finish_settings();
	$name = $args['name'];
	$id   = $args['label_for'];
	$attr = sprintf( 'id="%s" name="%s"', esc_attr( $id ), esc_attr( PHOTO_FINISH_OPTION . '[' . $name . ']' ) );
	switch ( $name ) {
		case 'server_url':
			printf( '<input type="url" class="regular-text code" %s value="%s" placeholder="https://photos.example.org" />', $attr, esc_attr( $s['server_url'] ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- $attr is escaped above.
			break;
		case 'org_id':
			printf( '<input type="number" min="1" class="small-text" %s value="%s" />', $attr, esc_attr( $s['org_id'] ? (string) $s['org_id'] : '' ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			echo '<p class="description">' . esc_html__( 'The organisation id (org_id) of your events.', 'photo-finish' ) . '</p>';
			break;
		case 'publishable_key':
			printf( '<input type="text" class="regular-text code" autocomplete="off" spellcheck="false" %s value="%s" placeholder="pk_…" />', $attr, esc_attr( $s['publishable_key'] ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			echo '<p class="description">' . esc_html__( 'A publishable key (pk_…), never a secret key: it is visible in the pages.', 'photo-finish' ) . '</p>';
			break;
		case 'theme':
			$labels = array(
				'auto'          => __( 'Automatic (follows the visitor: light, dark, high contrast)', 'photo-finish' ),
				'light'         => __( 'Light', 'photo-finish' ),
				'dark'          => __( 'Dark', 'photo-finish' ),
				'high-contrast' => __( 'High contrast', 'photo-finish' ),
			);
			printf( '<select %s>', $attr ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped
			foreach ( $labels as $value => $label ) {
				printf( '<option value="%s"%s>%s</option>', esc_attr( $value ), selected( $s['theme'], $value, false ), esc_html( $label ) );
			}
			echo '</select>';
			break;
	}
}

/**
 * Adds Settings → Photo Finish.
 */
function photo_finish_add_settings_page() {
	$hook = add_options_page(
		__( 'Photo Finish', 'photo-finish' ),
		__( 'Photo Finish', 'photo-finish' ),
		'manage_options',
		'photo-finish',
		'photo_finish_settings_page'
	);
	add_action( 'admin_print_scripts-' . $hook, 'photo_finish_settings_scripts' );
}

/**
 * The connection test's script, on the settings page only.
 */
function photo_finish_settings_scripts() {
	wp_enqueue_script( 'photo-finish-settings', plugins_url( 'assets/settings.js', PHOTO_FINISH_FILE ), array( 'wp-i18n' ), PHOTO_FINISH_VERSION, true );
	wp_set_script_translations( 'photo-finish-settings', 'photo-finish', PHOTO_FINISH_DIR . 'languages' );
}

/**
 * The page.
 */
function photo_finish_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	?>
	<div class="wrap">
		<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
		<form action="options.php" method="post">
			<?php
			settings_fields( 'photo_finish' );
			do_settings_sections( 'photo-finish' );
			?>
			<p>
				<button type="button" class="button" id="photo-finish-test"><?php esc_html_e( 'Test the connection', 'photo-finish' ); ?></button>
				<span id="photo-finish-test-result" role="status" aria-live="polite"></span>
			</p>
			<?php submit_button(); ?>
		</form>
		<h2><?php esc_html_e( 'Using it', 'photo-finish' ); ?></h2>
		<p><?php esc_html_e( 'Add the "Event photos (Photo Finish)" block to a page, or write the shortcode:', 'photo-finish' ); ?></p>
		<p><code>[photo-finish event="7" elements="bib-search,gallery,certificate"]</code></p>
		<p>
			<?php
			/* translators: %s: the list of element names. */
			printf( esc_html__( 'Elements: %s.', 'photo-finish' ), esc_html( implode( ', ', array_keys( photo_finish_elements() ) ) ) );
			?>
		</p>
	</div>
	<?php
}
