/** `npm run access-matrix`: prints who may do what, as the README's security section shows it. */
import { accessMatrixMarkdown } from '../api/access.js';

console.log(accessMatrixMarkdown());
