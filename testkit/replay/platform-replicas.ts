/**
 * The platform replicas the replay server knows: one line per platform folder
 * (crawlers/platforms/<platform>/replica.ts).
 */
import type { PlatformReplica } from './platform-replica.ts';
import { jcmsReplica } from '../../crawlers/platforms/jcms/replica.ts';
import { staticListReplica } from '../../crawlers/platforms/static-list/replica.ts';
import { trsReplica } from '../../crawlers/platforms/trs/replica.ts';
import { gkmlptReplica } from '../../crawlers/platforms/gkmlpt/replica.ts';
import { fjdzappReplica } from '../../crawlers/platforms/fjdzapp/replica.ts';

export const PLATFORM_REPLICAS: readonly PlatformReplica[] = [jcmsReplica, staticListReplica, trsReplica, gkmlptReplica, fjdzappReplica];
