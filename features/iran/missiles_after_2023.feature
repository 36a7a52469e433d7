Feature: Missiles between Iran and Russia before and after 18 October 2023
  Resolution 2231 (2015), Annex B paragraph 4, required the Security Council's approval in
  advance for transfers to or from Iran of missile-related items on the MTCR list. It ended
  on 18 October 2023. A transfer reported before that date is a contested possible violation;
  the same transfer after it is set aside, and the engine says why. These scenarios state
  their facts in the generic form that any rule author can write.

  Rule: Paragraph 4 covers missile items only while it was in force

    @IRAN-2231-MTCR-TRANSFER
    Scenario: Ballistic missiles from Iran to Russia in September 2024 are set aside
      Given the facts:
        """
        - id: ev-missiles
          kind: arms_transfer
          summary: Iran delivered close-range ballistic missiles to Russia in September 2024
          act: export
          supplier: IRN
          recipient: RUS
          items: [{category: missile_items, description: close-range ballistic missiles}]
          date: {month: 2024-09}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule IRAN-2231-MTCR-TRANSFER flags nothing
      And rule IRAN-2231-MTCR-TRANSFER sets aside the match of ev-missiles because "no provision of its legal basis was in force"
      And it sets aside 2231 Annex B para 4 because "not in force on the date of the act (in force 2016-01-16 to 2023-10-18)"

    @IRAN-2231-MTCR-TRANSFER
    Scenario: The same delivery in August 2023, denied by Iran, is a contested possible violation
      Given the facts:
        """
        - id: ev-missiles
          kind: arms_transfer
          summary: Iran delivered close-range ballistic missiles to Russia in August 2023
          act: export
          supplier: IRN
          recipient: RUS
          items: [{category: missile_items, description: close-range ballistic missiles}]
          date: {month: 2023-08}
          modality: alleged
          asserted_by: [USA]
          cite:
            - quote: The United States alleges that Iran delivered ballistic missiles to Russia in August 2023
        - id: st-iran-denies
          kind: denial
          summary: Iran denies sending missiles
          by: IRN
          about: [ev-missiles]
          date: {month: 2023-08}
        """
      When the rules are evaluated
      Then rule IRAN-2231-MTCR-TRANSFER flags a possible violation about ev-missiles
      And its provisions are 2231 Annex B para 4
      And its evidence level is alleged
      And its severity is medium
      And it rests on the facts ev-missiles
      And its counter-evidence is st-iran-denies
      And it cites "The United States alleges that Iran delivered ballistic missiles to Russia in August 2023"
      And it cites 1 sentence
      And the date check says in force

    @IRAN-2231-MTCR-TRANSFER
    Scenario: Missile parts for Iran in 2023 are flagged, the same parts in 2024 are not
      Given these facts, one per row:
        | id         | kind           | summary                                             | act    | supplier | recipient | items                        | date.month | modality | asserted_by |
        | ev-parts-a | arms_transfer  | Russia sent missile parts to Iran in August 2023    | export | RUS      | IRN       | [{category: missile_items}]  | 2023-08    | alleged  | [USA]       |
        | ev-parts-b | arms_transfer  | Russia sent missile parts to Iran in February 2024  | export | RUS      | IRN       | [{category: missile_items}]  | 2024-02    | alleged  | [USA]       |
      When the rules are evaluated
      Then rule IRAN-2231-MTCR-TRANSFER flags a possible violation about ev-parts-a
      And it holds Russia accountable
      And it holds Iran accountable
      And it cites "Russia sent missile parts to Iran in August 2023"
      And rule IRAN-2231-MTCR-TRANSFER sets aside the match of ev-parts-b because "no provision of its legal basis was in force"
