import * as z from 'zod';

/** Cold-start probe: what importing zod (classic API) and building one schema costs a Lambda's init. */
const Environment = z.object({ TABLE_NAME: z.string().min(1) });

export const handler = async (): Promise<boolean> => Environment.safeParse(process.env).success;
