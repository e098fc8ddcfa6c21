/** The intent stage: rules as data, a text classifier for what they do not cover, and its evaluation. */
export { IntentRule, IntentSettings, compileRules, firstMatch, type IntentSettingsInput, type RuleInput, type CompiledRule } from './rules.ts';
export { intentTokens, trainIntentModel, crossPredict, summarize, type Example, type Prediction, type IntentModel, type CrossValidation } from './classifier.ts';
export { classifyIntents, type ClassifyTask, type ClassifyResult, type IntentClassifier } from './classify-task.ts';
export { labelIntents, type IntentStageSummary } from './stage.ts';
export { evaluateIntents, type IntentEvaluation } from './evaluate.ts';
