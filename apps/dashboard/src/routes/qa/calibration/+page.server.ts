import { QaStore } from '@helpdesk/qa-sampler';
import { requireWarehouse } from '$lib/server/warehouse';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => ({ sessions: await new QaStore(await requireWarehouse()).calibrationSessions() });
