"""The Lua scripts of `RedisStore`: each change that must be atomic, and tell every process, is one call."""

# Runtime rules: a hash name -> "<sequence>:<json>", ordered by sequence, which is the version that
# added the rule. The version key is never deleted (reset bumps it), so no process mistakes an old
# version number for the current one.
ADD_RULE = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local version = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], version .. ':' .. ARGV[2])
redis.call('PUBLISH', KEYS[3], 'rules ' .. version)
return version
"""
REMOVE_RULE = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', KEYS[3], 'rules ' .. version)
return version
"""
RESET = """
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[10])
local version = redis.call('INCR', KEYS[7])
local epoch = redis.call('INCR', KEYS[9])
redis.call('PUBLISH', KEYS[8], 'reset ' .. version .. ' ' .. epoch)
return {version, epoch}
"""
# A batch of journal entries and the coverage counts of its requests in one command, unless a reset
# came since they were recorded (the "epoch" counts resets) (a pipeline of XADDs cost ~30 µs of
# redis-py per entry). ARGV: size, epoch, N, then N (field, count) pairs, then the entries.
APPEND_JOURNAL = """
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[2] then return 0 end  -- recorded before a reset: dropped
local size = tonumber(ARGV[1])
local first = 4 + 2 * tonumber(ARGV[3])
for i = 4, first - 1, 2 do redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1]) end
for i = first, #ARGV do redis.call('XADD', KEYS[1], 'MAXLEN', size, '*', 'e', ARGV[i]) end
return #ARGV - first + 1
"""
