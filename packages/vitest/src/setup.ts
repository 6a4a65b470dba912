/**
 * Setup file: `setupFiles: ['@netreach/vitest/setup']` in a vitest config registers the netreach
 * matchers and the matrix snapshot serializer before every test file.
 */
import { installNetreachMatchers } from './index.js';

installNetreachMatchers();
