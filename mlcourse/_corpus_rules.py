"""The rules of the course corpus (mlcourse.corpus.sentence_grammar): state -> [(probability, words, next state)].

Both grammars carry information over several words, so that a model which sees only the previous word cannot
reach the entropy floor: in Chinese the time word (昨天 / 明天 / 今天) decides which endings may follow two words
later, and the subject 你 allows a final 吗; in English the subject decides the verb form (was / were / is) and the
tense decides the time word at the end, four or five words later.
"""

from __future__ import annotations

TENSES = {"past": 0.45, "future": 0.35, "today": 0.20}


def zh_rules() -> dict:
    """我 昨天 上学 迟到 了 / 你 明天 上班 不会 迟到 吗 / 我们 今天 开会 到 得 很 早 …"""
    rules = {
        "start": [
            (0.3, "我", "time"),
            (0.2, "你", "time_q"),
            (0.2, "他", "time"),
            (0.1, "她", "time"),
            (0.2, "我们", "time"),
        ]
    }
    endings = {
        "past": [(0.45, "迟到 了"), (0.35, "没有 迟到"), (0.2, "到 得 很 早")],
        "future": [(0.3, "会 迟到"), (0.5, "不会 迟到"), (0.2, "要 早点 到")],
    }
    endings["today"] = [(p / 2, w) for p, w in endings["past"] + endings["future"]]
    time_words = {"past": "昨天", "future": "明天", "today": "今天"}
    for q in ("", "_q"):  # "_q": the subject was 你, so the sentence may end as a question
        rules[f"time{q}"] = [(p, time_words[t], f"act_{t}{q}") for t, p in TENSES.items()]
        for t in TENSES:
            rules[f"act_{t}{q}"] = [
                (0.5, "上学", f"end_{t}{q}"),
                (0.3, "上班", f"end_{t}{q}"),
                (0.2, "开会", f"end_{t}{q}"),
            ]
            rules[f"end_{t}{q}"] = [(p, w, "question" if q else None) for p, w in endings[t]]
    rules["question"] = [(0.5, "吗", None), (0.5, (), None)]
    return rules


def en_rules() -> dict:
    """I was late for school yesterday / they will be early for work tomorrow / she is on time for …"""
    rules = {
        "start": [
            (0.25, "I", "verb_1"),
            (0.2, "you", "verb_pl"),
            (0.15, "he", "verb_3"),
            (0.15, "she", "verb_3"),
            (0.15, "we", "verb_pl"),
            (0.1, "they", "verb_pl"),
        ]
    }
    verbs = {"1": ("was", "am"), "3": ("was", "is"), "pl": ("were", "are")}
    for person, (past, present) in verbs.items():
        rules[f"verb_{person}"] = [
            (TENSES["past"], past, "adj_past"),
            (TENSES["future"], "will be", "adj_future"),
            (TENSES["today"], present, "adj_today"),
        ]
    times = {
        "past": [(0.7, "yesterday"), (0.3, "last week")],
        "future": [(0.7, "tomorrow"), (0.3, "next week")],
        "today": [(0.6, "today"), (0.4, "again")],
    }
    for t in TENSES:
        rules[f"adj_{t}"] = [
            (0.5, "late for", f"place_{t}"),
            (0.3, "early for", f"place_{t}"),
            (0.2, "on time for", f"place_{t}"),
        ]
        rules[f"place_{t}"] = [
            (0.5, "school", f"time_{t}"),
            (0.3, "work", f"time_{t}"),
            (0.2, "the meeting", f"time_{t}"),
        ]
        rules[f"time_{t}"] = [(p, w, None) for p, w in times[t]]
    return rules


RULES = {"zh": zh_rules, "en": en_rules}
