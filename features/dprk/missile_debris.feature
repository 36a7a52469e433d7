Feature: A strike with a North Korean missile, found from its debris
  Debris of a missile attributed to North Korea, found after another State's strike, is
  evidence that North Korea exported the missile (1718 OP8(b), 1874 OP9 with its number
  unconfirmed, 2270 OP8) and that the striking State procured it, though the transfer itself
  is not reported: a possible violation of low confidence. Strikes and debris found are
  recorded as uses of weapons; the weapon is an item whose category lies within missiles in
  the vocabulary of item categories.

  Rule: Another State's strike with a North Korean missile is a possible violation

    @DPRK-MISSILE-DEBRIS
    Scenario: Debris of a North Korean ballistic missile after a Russian strike
      Given the facts:
        """
        - id: ev-debris
          kind: weapons_use
          summary: Debris of a North Korean KN-23 ballistic missile was found after a Russian strike on Kharkiv in January 2024
          use: debris_found
          user: RUS
          weapons: [{category: ballistic_missile, description: KN-23 (Hwasong-11)}]
          attributed_to: PRK
          location: Kharkiv
          date: {month: 2024-01}
          modality: reported
          asserted_by: [UKR]
        """
      When the rules are evaluated
      Then rule DPRK-MISSILE-DEBRIS flags a possible violation about ev-debris
      And its provisions are 1718 OP8(b), 1874 OP9 and 2270 OP8
      And its confidence is low
      And it holds Russia accountable
      And it says "The transfer itself is not reported"

    @DPRK-MISSILE-DEBRIS
    Scenario: Debris whose user nobody can name is not flagged
      Given the facts:
        """
        - id: unknown-launcher
          kind: group
          name: unknown or unidentified
          cite: [{quote: "whoever launched it"}]
        - id: ev-debris-unknown
          kind: weapons_use
          summary: Debris of a North Korean missile was found in 2024; who fired it is not known
          use: debris_found
          user: unknown-launcher
          weapons: [{category: ballistic_missile}]
          attributed_to: PRK
          date: {year: 2024}
          modality: reported
          asserted_by: [UKR]
        """
      When the rules are evaluated
      Then rule DPRK-MISSILE-DEBRIS flags nothing

    @DPRK-MISSILE-DEBRIS
    Scenario: Debris of North Korea's own launch is a launch, not an export
      Given the facts:
        """
        - id: ev-own-launch
          kind: weapons_use
          summary: Debris of a missile North Korea fired into the sea was recovered in 2023
          use: debris_found
          user: PRK
          weapons: [{category: ballistic_missile}]
          attributed_to: PRK
          date: {year: 2023}
          modality: confirmed
          asserted_by: [KOR]
        """
      When the rules are evaluated
      Then rule DPRK-MISSILE-DEBRIS flags nothing

    @DPRK-MISSILE-DEBRIS
    Scenario: A drone attributed to North Korea is not a missile
      Given the facts:
        """
        - id: ev-drone
          kind: weapons_use
          summary: A drone attributed to North Korea struck a target in 2024
          use: strike
          user: RUS
          weapons: [{category: uav}]
          attributed_to: PRK
          date: {year: 2024}
          modality: reported
          asserted_by: [UKR]
        """
      When the rules are evaluated
      Then rule DPRK-MISSILE-DEBRIS flags nothing
