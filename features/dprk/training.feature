Feature: Military training and technical assistance to or from North Korea
  Resolution 1718, paragraph 8(c), bans technical training, advice, services or assistance
  related to arms, to or from North Korea; resolution 1874, paragraph 9, extends it to all
  arms and related materiel (its paragraph number is unconfirmed). Training is recorded as a
  service, a kind of fact defined in the vocabulary rather than in the engine.

  Rule: Training or technical assistance between North Korea and another State is a possible violation

    @DPRK-TRAINING
    Scenario: Russia trains North Korean soldiers in 2024
      Given the facts:
        """
        - id: ev-training
          kind: service
          summary: Russian instructors trained North Korean soldiers in drone warfare in 2024
          service: training
          provider: RUS
          recipient: PRK
          date: {month: 2024-11}
          modality: alleged
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-TRAINING flags a possible violation about ev-training
      And its provisions are 1718 OP8(c) and 1874 OP9
      And its evidence level is alleged
      And it holds Russia accountable
      And it says "Russian Federation reportedly gave training to Democratic People's Republic of Korea"

    @DPRK-TRAINING
    Scenario: North Korean technical assistance to another State is flagged too
      Given the facts:
        """
        - id: ev-assistance
          kind: service
          summary: North Korean engineers assisted Russia with missile maintenance in 2024
          service: technical_assistance
          provider: PRK
          recipient: RUS
          date: {year: 2024}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-TRAINING flags a possible violation about ev-assistance
      And its provisions are 1718 OP8(c) and 1874 OP9

    @DPRK-TRAINING
    Scenario: Bunkering for North Korean ships is not training
      Given the facts:
        """
        - id: ev-bunkering
          kind: service
          summary: A Russian port fuelled North Korean ships in 2024
          service: bunkering
          provider: RUS
          recipient: PRK
          date: {year: 2024}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-TRAINING flags nothing

    @DPRK-TRAINING
    Scenario: Training between two other States is not flagged
      Given the facts:
        """
        - id: ev-training-elsewhere
          kind: service
          summary: Russia trained Iranian soldiers in 2024
          service: training
          provider: RUS
          recipient: IRN
          date: {year: 2024}
          modality: reported
          asserted_by: [USA]
        """
      When the rules are evaluated
      Then rule DPRK-TRAINING flags nothing
