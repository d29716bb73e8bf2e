# A million items in one list.
head: "rules: ["
repeat: "1,"
times: 1000000
tail: "1]\n"
