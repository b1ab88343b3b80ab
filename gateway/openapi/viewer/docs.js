// The API page (/api/docs): Swagger UI on this gateway's own document, nothing fetched
// from elsewhere (no validator badge, no remote configuration).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    configUrl: null,
    queryConfigEnabled: false,
  });
});
