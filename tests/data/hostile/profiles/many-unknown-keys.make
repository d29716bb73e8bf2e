# 60,000 unknown keys: the problems listed are capped.
head: "goal:\n  priority: promotion\n"
repeat: "unknown_{n}: 1\n"
times: 60000
tail: ""
