package io.engageflow.contracts.expression;

/**
 * What a compiled-expression cache holds now and how many entries it has dropped since start: the numbers a service
 * publishes as gauges (contracts has no metrics library of its own).
 *
 * @param entries   compiled texts kept
 * @param bytes     the estimated heap they keep, in bytes (the sum the cache's bound applies to)
 * @param evictions entries dropped, least recently used first, to stay within the bound
 */
public record CacheStats(long entries, long bytes, long evictions) {
}
