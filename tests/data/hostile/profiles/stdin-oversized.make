# 5 MiB on standard input: past the limit.
stdin: true
head: "goal:\n  priority: promotion\n"
repeat: "# padding padding padding padding padding padding padding padding\n"
times: 80000
tail: ""
