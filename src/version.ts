// Sent in the user agent, so AWS-side logs (CloudTrail) show which tool made a call; a test keeps it equal to package.json's.
export const ACTION_NAME = 'apprunner-connection-action';
export const ACTION_VERSION = '1.1.0';
