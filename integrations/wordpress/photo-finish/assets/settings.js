/**
 * Settings → Photo Finish: "Test the connection" asks the server, from this browser, for the events the key sees,
 * using the values in the form (saved or not).
 */
(function () {
  'use strict';
  var __ = window.wp.i18n.__;
  var sprintf = window.wp.i18n.sprintf;
  var button = document.getElementById('photo-finish-test');
  var out = document.getElementById('photo-finish-test-result');
  if (!button || !out) return;

  function value(id) {
    var field = document.getElementById(id);
    return field ? field.value.trim() : '';
  }

  function say(text, ok) {
    out.textContent = text;
    out.style.color = ok ? '#007017' : '#b32d2e';
  }

  button.addEventListener('click', function () {
    var server = value('photo-finish-server-url').replace(/\/+$/, '');
    var org = value('photo-finish-org-id');
    var key = value('photo-finish-publishable-key');
    if (!/^https?:\/\//.test(server) || !/^\d+$/.test(org) || !key) {
      say(__('Fill in the server URL, the organisation and the key first.', 'photo-finish'), false);
      return;
    }
    say(__('Testing…', 'photo-finish'), true);
    fetch(server + '/api/v1/ext/' + encodeURIComponent(org) + '/events', { headers: { 'X-API-Key': key } })
      .then(function (r) {
        return r
          .json()
          .catch(function () {
            return null;
          })
          .then(function (body) {
            if (!r.ok) {
              var message = body && body.message ? body.message : r.statusText;
              say(sprintf(__('The server refused: %1$s (HTTP %2$d).', 'photo-finish'), message, r.status), false);
              return;
            }
            var events = body && body.data && body.data.events ? body.data.events : [];
            var names = events
              .map(function (e) {
                return (e.event_name || '') + ' (#' + e.event_id + ')';
              })
              .join(', ');
            say(
              sprintf(
                __('Connected: this key sees %1$d event(s)%2$s', 'photo-finish'),
                events.length,
                names ? ': ' + names : '.',
              ),
              true,
            );
          });
      })
      .catch(function (e) {
        say(
          sprintf(
            __('Could not reach the server (%s). Check the URL, and that the key allows this site.', 'photo-finish'),
            e.message,
          ),
          false,
        );
      });
  });
})();
