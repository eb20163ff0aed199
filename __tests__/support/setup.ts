// Every test process: fake credentials, no instance-metadata probe, no profile or
// real endpoint inherited from the machine. Tests point the SDK at 127.0.0.1 only.
for (const name of Object.keys(process.env)) {
  if (name.startsWith('AWS_') || name.startsWith('GITHUB_') || name.startsWith('INPUT_')) delete process.env[name];
}
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
  AWS_SECRET_ACCESS_KEY: 'local-test-secret',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  // A client a test forgot to point at the local endpoint reaches a closed loopback port, not AWS.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  GITHUB_API_URL: 'http://127.0.0.1:9',
});
