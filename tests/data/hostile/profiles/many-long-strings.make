# 3,000 names of 1,000 characters: under every limit, so valid.
head: "goal:\n  priority: promotion\n  checkpoints:\n"
repeat: "    - {name: 'c{n} aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', due: 2027-01-01}\n"
times: 3000
tail: ""
