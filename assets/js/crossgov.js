// Starts GOV.UK Frontend's components (error summary focus, password reveal,
// mobile menu, notification banner focus...). An ES module: browsers too old for
// modules never run it and get the plain HTML, which works on its own.
import { initAll } from "./govuk-frontend.min.js";

initAll();
