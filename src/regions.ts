// Where App Runner runs (AWS General Reference, App Runner endpoints and quotas). None has been
// added since November 2023, and none is planned now that the service takes no new features.
export const APP_RUNNER_REGIONS: readonly string[] = Object.freeze([
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
]);
