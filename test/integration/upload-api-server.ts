import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/**
 * The real upload-api handler behind a local HTTP listener shaped like API
 * Gateway's HTTP API (payload format 2.0), so clients can call it over HTTP.
 * Load it after the pipeline has set the environment.
 */
const LAMBDA_CONTEXT = { functionName: 'upload-api', awsRequestId: 'local', getRemainingTimeInMillis: () => 10_000 } as unknown as Context; // handlers read only these

export async function startUploadApi(): Promise<{ url: string; close: () => Promise<void> }> {
  const { handler } = (await import('../../functions/upload-api/handler')) as {
    handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const event = {
        version: '2.0',
        routeKey: `${req.method} ${url.pathname}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined,
        isBase64Encoded: false,
      } as unknown as APIGatewayProxyEventV2; // the fields an HTTP API payload 2.0 carries that the handler reads
      const result = await handler(event, LAMBDA_CONTEXT);
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
