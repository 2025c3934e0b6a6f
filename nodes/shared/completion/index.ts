export { runSubmitOperation as submitOperation } from './runSubmit';
export { runReadOperation as readJobsOperation } from './readJobs';
export { handleResumeCallback, RESUME_WEBHOOKS } from './resumeWebhook';
