// Marks the page as able to run GOV.UK Frontend's JavaScript, as its page template
// does. Loaded as a blocking script at the top of <body>, so the enhanced styles
// apply before the first paint. It is a file, not inline, so that a strict
// Content-Security-Policy (script-src 'self') can be turned on without nonces.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
