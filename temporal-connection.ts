/** Connecting to Temporal at process start: the server may still be coming up. */
import { logger } from './logger.js';

export async function connectWithRetry<T>(connect: () => Promise<T>, attempts = 60): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (attempt >= attempts) throw error;
      if (attempt === 1) logger.info('waiting for the Temporal server');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
