// Flat config: typescript-eslint with type information, so floating promises are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
    { ignores: ['node_modules/**', 'out/**', 'dist/**', '.test-results/**', '**/*.d.ts'] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        files: ['**/*.ts'],
        languageOptions: {
            parserOptions: { project: ['./tsconfig.json', './src/webview-ui/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            '@typescript-eslint/no-floating-promises': 'error',
            '@typescript-eslint/no-misused-promises': 'error',
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            'no-restricted-imports': 'off',
        },
    },
    {
        // Services stay free of VS Code so plain mocha tests them and the command line (src/cli) runs them.
        files: ['src/auth/**/*.ts', 'src/graph/**/*.ts', 'src/exchange/**/*.ts', 'src/provisioning/**/*.ts', 'src/audit/**/*.ts', 'src/shared/**/*.ts', 'src/net/**/*.ts', 'src/cli/**/*.ts', 'sandbox/**/*.ts'],
        rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Keep this layer free of VS Code; pass adapters in.' }] }] },
    },
    {
        files: ['**/*.mjs', '**/*.js'],
        ...tseslint.configs.disableTypeChecked,
        languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly' } },
    },
);
