/** `npm run access-matrix`: prints who may do what, as docs/security.md shows it. */
import { accessMatrixMarkdown } from '../api/access.js';

console.log(accessMatrixMarkdown());
