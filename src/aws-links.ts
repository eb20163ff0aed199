// Where a person acts on a connection: the console pages and the CLI command the outcome,
// the outputs, the summary and the comment all point at. One place, so they cannot disagree.

/** The App Runner console page listing the region's connections, where the handshake is done. */
export function handshakeUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/apprunner/home?region=${region}#/connections`;
}

/** The Service Quotas page of App Runner's quotas in the region. */
export function serviceQuotasUrl(region: string): string {
  return `https://${region}.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas`;
}

export function deleteConnectionCommand(arn: string, region: string): string {
  return `aws apprunner delete-connection --connection-arn ${arn} --region ${region}`;
}
