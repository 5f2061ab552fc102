/**
 * The Photo Finish block in the block editor: plain JavaScript on WordPress's globals (no build step).
 * Options: the event (picked from the events the publishable key sees, or typed) and the widgets to show; the
 * preview is the real kit, live, against the photo-finish server.
 */
(function (wp, config) {
  'use strict';
  var el = wp.element.createElement;
  var useState = wp.element.useState;
  var useEffect = wp.element.useEffect;
  var __ = wp.i18n.__;
  var sprintf = wp.i18n.sprintf;
  var InspectorControls = wp.blockEditor.InspectorControls;
  var useBlockProps = wp.blockEditor.useBlockProps;
  var PanelBody = wp.components.PanelBody;
  var SelectControl = wp.components.SelectControl;
  var TextControl = wp.components.TextControl;
  var CheckboxControl = wp.components.CheckboxControl;
  var Notice = wp.components.Notice;

  var TAGS = {
    finder: 'pf-finder',
    'bib-search': 'pf-bib-search',
    gallery: 'pf-gallery',
    timeline: 'pf-timeline',
    selfie: 'pf-selfie-search',
    certificate: 'pf-certificate',
    checkout: 'pf-checkout-button',
  };
  var LABELS = {
    finder: __('Finder (search by BIB, selfie or time)', 'photo-finish'),
    'bib-search': __('BIB search', 'photo-finish'),
    gallery: __('All photos', 'photo-finish'),
    timeline: __('Timeline', 'photo-finish'),
    selfie: __('Selfie search', 'photo-finish'),
    certificate: __('Finisher certificate', 'photo-finish'),
    checkout: __('Buy photos', 'photo-finish'),
  };

  /** The events the key sees (GET /api/v1/ext/{org}/events), for the event picker. */
  function useEvents() {
    var state = useState(null);
    var events = state[0];
    var setEvents = state[1];
    useEffect(function () {
      if (!config.configured) return;
      var url = config.server + '/api/v1/ext/' + encodeURIComponent(config.org) + '/events';
      fetch(url, { headers: { 'X-API-Key': config.key } })
        .then(function (r) {
          return r.json();
        })
        .then(function (body) {
          setEvents(body && body.data && Array.isArray(body.data.events) ? body.data.events : []);
        })
        .catch(function () {
          setEvents([]);
        });
    }, []);
    return events;
  }

  function Edit(props) {
    var attributes = props.attributes;
    var setAttributes = props.setAttributes;
    var events = useEvents();
    var elements = attributes.elements && attributes.elements.length ? attributes.elements : ['bib-search', 'gallery'];
    var blockProps = useBlockProps({ className: 'photo-finish-block' });

    function toggle(name, on) {
      var next = config.elements.filter(function (n) {
        return n === name ? on : elements.indexOf(n) >= 0;
      });
      setAttributes({ elements: next });
    }

    var eventControl =
      events && events.length
        ? el(SelectControl, {
            label: __('Event', 'photo-finish'),
            value: String(attributes.event || ''),
            options: [{ value: '', label: __('— Choose an event —', 'photo-finish') }].concat(
              events.map(function (e) {
                return { value: String(e.event_id), label: (e.event_name || '') + ' (#' + e.event_id + ')' };
              }),
            ),
            onChange: function (v) {
              setAttributes({ event: Number(v) || 0 });
            },
          })
        : el(TextControl, {
            label: __('Event number', 'photo-finish'),
            type: 'number',
            min: 1,
            value: attributes.event || '',
            onChange: function (v) {
              setAttributes({ event: Number(v) || 0 });
            },
          });

    var inspector = el(
      InspectorControls,
      null,
      el(
        PanelBody,
        { title: __('Photo Finish', 'photo-finish'), initialOpen: true },
        eventControl,
        el('p', null, __('Show:', 'photo-finish')),
        config.elements.map(function (name) {
          return el(CheckboxControl, {
            key: name,
            label: LABELS[name] || name,
            checked: elements.indexOf(name) >= 0,
            onChange: function (on) {
              toggle(name, on);
            },
          });
        }),
      ),
    );

    var preview;
    if (!config.configured) {
      preview = el(
        Notice,
        { status: 'warning', isDismissible: false },
        __('Set the server, organisation and publishable key under Settings → Photo Finish.', 'photo-finish'),
      );
    } else if (!attributes.event) {
      preview = el(
        Notice,
        { status: 'info', isDismissible: false },
        __('Choose the event in the block settings.', 'photo-finish'),
      );
    } else {
      // The real widgets. `api-key` (not `key`: React keeps `key` for itself) is pf-event's alias of `key`.
      preview = el(
        'pf-event',
        {
          api: config.server,
          org: String(config.org),
          event: String(attributes.event),
          'api-key': config.key,
          'data-preview': sprintf('event %d', attributes.event),
        },
        elements.map(function (name) {
          return el(TAGS[name], { key: name });
        }),
      );
    }
    return el('div', blockProps, inspector, preview);
  }

  wp.blocks.registerBlockType('photo-finish/embed', {
    edit: Edit,
    // A dynamic block: the front end is rendered by PHP from the attributes.
    save: function () {
      return null;
    },
  });
})(window.wp, window.photoFinishBlock);
