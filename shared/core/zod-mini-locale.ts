import * as z from 'zod/mini';
import { en } from 'zod/locales';

/**
 * Import this before building a `zod/mini` schema. zod's classic API installs
 * its English messages when it is imported; zod/mini installs none, so a
 * mini schema alone would say only "Invalid input". With this, both APIs give
 * the same messages ("Too small: expected string to have >=1 characters").
 * The schemas checked at module load use zod/mini because its functions
 * tree-shake: a cold start pays only for the checks it makes.
 */
z.config(en());
