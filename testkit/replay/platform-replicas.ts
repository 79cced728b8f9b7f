/**
 * The platform replicas the replay server knows besides its built-in jcms and static-list ones:
 * one line per platform folder (crawlers/platforms/<platform>/replica.ts).
 */
import type { PlatformReplica } from './platform-replica.ts';
import { fjdzappReplica } from '../../crawlers/platforms/fjdzapp/replica.ts';

export const PLATFORM_REPLICAS: readonly PlatformReplica[] = [fjdzappReplica];
