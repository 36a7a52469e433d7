@article
Feature: Iran's ballistic missiles for Russia, confirmed on 10 September 2024
  "US confirms Russia received ballistic missiles from Iran" (Al-Monitor, 10 September 2024),
  curated into cited facts and evaluated with every rule. The delivery came after
  18 October 2023, when resolution 2231 Annex B paragraph 4 (Council approval for
  missile-related transfers to or from Iran) ended; the arms ban of paragraph 6(b) had ended
  in 2020. Both 2231 rules match the transfer, and the in-force check sets each provision
  aside with its dates: nothing in this article breaches a Security Council measure in force.
  The sanctions the United States announced are national measures, not the Council's.

  Scenario: The missiles are set aside because resolution 2231 no longer applied
    Given the facts curated from the article "article-2024-09-10-iran-missiles-russia"
    When the rules are evaluated
    Then nothing is flagged
    And these matches are set aside:
      | rule                    | fact                                      | provision             | reason                                                                 |
      | IRAN-2231-MTCR-TRANSFER | ev-iran-ballistic-missiles-to-russia-2024 | 2231 Annex B para 4   | not in force on the date of the act (in force 2016-01-16 to 2023-10-18) |
      | IRAN-2231-ARMS-EXPORT   | ev-iran-ballistic-missiles-to-russia-2024 | 2231 Annex B para 6(b) | not in force on the date of the act (in force 2016-01-16 to 2020-10-18) |
    And rule IRAN-2231-MTCR-TRANSFER sets aside the match of ev-iran-ballistic-missiles-to-russia-2024 because "no provision of its legal basis was in force on the date of the act"
    And it cites "Russia has received short-range ballistic missiles from Iran"
    And these reports are not flagged as possible violations:
      | report                                        | fact                               | why                                         |
      | Russia shares technology with Iran            | ev-russia-technology-for-iran-2024 | no Council measure in force covers it       |
      | the U.S. imposes its own sanctions            | ev-us-sanctions-over-missiles-2024 | a national measure, not a violation         |
