import * as z from 'zod/mini';

/** Cold-start probe: the same as zod-classic.ts with zod/mini, zod's tree-shakable functional API. */
const Environment = z.object({ TABLE_NAME: z.string().check(z.minLength(1)) });

export const handler = async (): Promise<boolean> => Environment.safeParse(process.env).success;
