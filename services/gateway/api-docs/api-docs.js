// Starts Swagger UI on the bundled contract of this origin (an inline script would break the CSP).
/* global SwaggerUIBundle, window, document, URL */
'use strict';

window.addEventListener('DOMContentLoaded', () => {
  const clientUrl = document.getElementById('client-url');
  if (clientUrl) clientUrl.textContent = new URL('client/district-api-client.tgz', window.location.href).href;
  window.districtApiReference = SwaggerUIBundle({
    url: new URL('district-api.json', window.location.href).href,
    dom_id: '#reference',
    deepLinking: true,
    // No badge from the online validator: nothing on this page calls another host.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
  });
});
