@article
Feature: The whole article of 8 November 2022
  "North Korea denies sending artillery to Russia for use against Ukraine" (Los Angeles
  Times, 8 November 2022), curated into cited facts and evaluated with every rule. This is
  what the engine reports on it, and what it deliberately does not. Sentence numbers are
  those of `sanctions sources show article-2022-11-08-nk-denies-artillery`.

  Scenario: Every finding on the article, and every trap left unflagged
    Given the facts curated from the article of 8 November 2022
    When the rules are evaluated
    Then these findings are made:
      | finding              | provision             | evidence   | confidence | against      | sentences            | rule                            |
      | a possible violation | 1718 OP8(b)           | alleged    | medium     | North Korea  | 5, 9, 18, 24         | DPRK-ARMS-EXPORT                |
      | a possible violation | 1718 OP8(b)           | alleged    | medium     | Russia       | 5, 9, 18, 24         | DPRK-ARMS-PROCUREMENT           |
      | a possible violation | 1718 OP5              | confirmed  | high       | North Korea  | 6                    | DPRK-BALLISTIC-LAUNCH           |
      | a possible violation | 1718 OP5              | confirmed  | high       | North Korea  | 36                   | DPRK-BALLISTIC-LAUNCH           |
      | a possible violation | 1718 OP5              | confirmed  | medium     | North Korea  | 15, 38, 39           | DPRK-MISSILE-LAUNCH-UNSPECIFIED |
      | a possible violation | 1718 OP5              | confirmed  | medium     | North Korea  | 6                    | DPRK-MISSILE-LAUNCH-UNSPECIFIED |
      | a possible violation | 1718 OP8(a)(iii)      | reported   | low        | Russia       | 10, 12, 13           | DPRK-LUXURY-HORSES              |
      | a possible violation | 2231 Annex B para 4   | reported   | low        | Iran, Russia | 28, 32               | IRAN-2231-MTCR-TRANSFER         |
      | an evasion indicator | 2270 OP18             | alleged    | medium     | -            | 18, 19               | DPRK-DECEPTIVE-ROUTING          |
      | a risk               | 2397 OP8              | hinted     | low        | Russia       | 8                    | DPRK-WORKERS-PLANNED            |
      | a risk               | 2397 OP5              | speculated | low        | Russia       | 14                   | DPRK-FUEL-SUPPLY-RISK           |
      | a risk               | 1718 OP8(c)           | speculated | low        | Russia       | 14                   | DPRK-TECHNOLOGY-TRANSFER-RISK   |
      | a context note       | Charter Article 27(3) | confirmed  | high       | -            | 36                   | CONTEXT-VETO                    |
      | a context note       | A/RES/ES-11/1 OP6     | confirmed  | high       | -            | 22, 31               | CONTEXT-RECOGNITION             |
    And the possible violations of North Korea's arms embargo carry North Korea's denials of 8 November and of September 2022
    And no finding cites 2231 Annex B para 6(b)
    And no finding cites 2270 OP6
    And these reports are not flagged as possible violations:
      | report                                                   | fact                       | why                                                  |
      | the next train would carry medicine                      | ev-medicine-train          | medicine is not restricted                           |
      | freight trains to China restart                          | ev-china-freight-trains    | trade by rail is not banned; cargo must be inspected |
      | the Russian rail border reopens                          | ev-russia-rail-link        | trade by rail is not banned                          |
      | North Korea recognises Donetsk and Luhansk               | ev-dprk-recognises-dpr-lpr | no Security Council ban; context only                |
      | Russia and China veto the U.S. draft                     | ev-veto-s-2022-431         | a veto is lawful                                     |
      | North Korea tests artillery                              | ev-artillery-tests         | artillery is not covered by the launch bans          |
      | the U.S. has "an idea" of unnamed transit countries      | ev-dprk-transit-idea       | no State is named                                    |
      | Kim and Putin met in April 2019 (photo caption)          | ev-kim-putin-summit-2019   | a caption, no sanctions content                      |
      | arms supply "would be a violation"                       | st-article-would-violate   | legal commentary, not an event                       |
      | a North Korean diplomat criticises the Secretary-General | ev-dprk-criticises-sg      | criticism is not a sanctions act                     |
